// ingest/config (in progress).
