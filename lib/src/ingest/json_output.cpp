// ingest/json_output (in progress).
