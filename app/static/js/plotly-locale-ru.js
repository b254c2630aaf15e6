/*
 * Russian locale for plotly.js (the Python plotly package ships no locale files):
 * mode bar tooltips, number separators and date names. charts.js selects it with config.locale = "ru".
 */
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  window.Plotly.register({
    moduleType: "locale",
    name: "ru",
    dictionary: {
      "Autoscale": "Автомасштаб",
      "Box Select": "Выделить прямоугольником",
      "Compare data on hover": "Сравнивать данные при наведении",
      "Double-click on legend to isolate one trace": "Двойной щелчок по легенде оставит один ряд",
      "Double-click to zoom back out": "Двойной щелчок возвращает исходный масштаб",
      "Download plot": "Скачать график",
      "Download plot as a PNG": "Скачать график в формате PNG",
      "Download plot as a png": "Скачать график в формате PNG",
      "Download plot as JSON": "Скачать график в формате JSON",
      "Image download succeeded": "Изображение сохранено",
      "Preparing image - this may take a few seconds": "Подготовка изображения — это может занять несколько секунд",
      "Sorry, there was a problem downloading your image!": "Не удалось сохранить изображение",
      "Lasso Select": "Выделить лассо",
      "Pan": "Сдвиг",
      "Produced with Plotly.js": "Построено с помощью Plotly.js",
      "Reset": "Сбросить",
      "Reset axes": "Вернуть исходные оси",
      "Reset view": "Вернуть исходный вид",
      "Reset views": "Вернуть исходные виды",
      "Show closest data on hover": "Показывать ближайшие данные при наведении",
      "Snapshot succeeded": "Снимок сохранён",
      "Sorry, there was a problem downloading your snapshot!": "Не удалось сохранить снимок",
      "Taking snapshot - this may take a few seconds": "Сохранение снимка — это может занять несколько секунд",
      "Toggle Spike Lines": "Показать или скрыть линии проекций",
      "Toggle show closest data on hover": "Показывать или скрывать ближайшие данные при наведении",
      "Zoom": "Масштаб",
      "Zoom in": "Увеличить",
      "Zoom out": "Уменьшить",
      "trace": "ряд",
      "new text": "новый текст"
    },
    format: {
      days: ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
      shortDays: ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
      months: ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
               "октябрь", "ноябрь", "декабрь"],
      shortMonths: ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
      date: "%d.%m.%Y",
      decimal: ",",
      thousands: "\u00a0"
    }
  });
}());
