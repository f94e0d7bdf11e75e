"""Turn files, folders and URLs into cleaned, chunked documents in the store."""
