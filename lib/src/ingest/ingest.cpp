// ingest/ingest (in progress).
