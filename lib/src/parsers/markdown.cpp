// parsers/markdown (in progress).
