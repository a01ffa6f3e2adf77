"""repse's terminal interfaces: the command line (``cli``) and the Textual app (``app``)."""
