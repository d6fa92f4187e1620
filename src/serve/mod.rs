//! HTTP serving, file watching and live reload for `duben serve` (not yet implemented).
