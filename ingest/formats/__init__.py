"""One parser module per binary format; each turns bytes into a LoadedDocument or raises LoadError."""
