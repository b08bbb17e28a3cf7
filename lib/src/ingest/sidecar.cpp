// ingest/sidecar (in progress).
