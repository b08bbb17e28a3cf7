// parsers/jsonl (in progress).
