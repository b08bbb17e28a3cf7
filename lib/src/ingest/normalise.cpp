// ingest/normalise (in progress).
