// parsers/plaintext (in progress).
