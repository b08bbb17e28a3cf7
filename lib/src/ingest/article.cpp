// ingest/article (in progress).
