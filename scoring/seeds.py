"""Readable labels of the seed documents that questionnaires cite by file name.

The seeds are the source documents of the methodology (``/work/shared/seeds``, listed
in its README). A ``references`` entry ``{seed: <file name>, part: ...}`` is shown with
the label below in the reader's language, never as the bare file name. A questionnaire
may label a seed itself under ``instruments`` (keyed by the file name), which wins over
this table, and must do so for a seed not listed here or for a language this table
lacks.
"""

SEED_LABELS: dict[str, dict[str, str]] = {
    "000_4c7ca06accf816c0.txt": {
        "en": "Article 'The \"Electronic Customs\" thematic block in the EEU'",
        "ru": "Статья «О деятельности тематического блока „Электронная таможня“ в ЕАЭС»",
    },
    "001_46c889df029d30b0.txt": {
        "en": "Article 'Approaches to the formation of digital customs in the EEU' (2020)",
        "ru": "Статья «О развитии подходов к формированию цифровой таможни в ЕАЭС» (2020)",
    },
    "002_06d1f138b70c9e0e.txt": {
        "en": "Article 'WCO Policy Commission: digital customs issues' (2019)",
        "ru": "Статья «Политическая комиссия ВТамО: вопросы цифровой таможни» (2019)",
    },
    "003_946f441bb5a524d9.txt": {
        "en": "EEC review 'Customs cooperation' (2026)",
        "ru": "Обзор ЕЭК «Таможенное сотрудничество» (2026)",
    },
    "004_1dd35a464a96f784.txt": {
        "en": "Lecture 'The EEC and the World Customs Organization'",
        "ru": "Лекция «ЕЭК и Всемирная таможенная организация»",
    },
}
