"""Extract: turn raw documents into Article records."""
