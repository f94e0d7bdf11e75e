"""Core of the RAG chatbot: settings, the Chroma store, Korean analysis and hybrid retrieval."""
