"""Storage and retrieval: parsers, chunking, embeddings, the chunk store, SQL records."""
