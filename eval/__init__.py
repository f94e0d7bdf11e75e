"""Quality evaluation of retrieval and answers on a question file: `python -m eval`."""
