"""WSGI entry point: gunicorn 'wsgi:app' or flask --app wsgi."""
import gc

from app import create_app

app = create_app()

# What start-up built (modules, mappers, configuration) lives as long as the worker: it is moved out of
# the garbage collector's reach, so that a full collection does not walk it again (it took about 0.1 s,
# a pause of every thread of the worker) and the young generations stay small (Python docs, gc.freeze).
gc.collect()
gc.freeze()
