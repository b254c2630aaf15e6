"""Services own the writes and the commit; views call one of them per request."""
