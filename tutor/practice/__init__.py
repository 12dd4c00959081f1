"""The practice game's rules, from verified work only: episodes and their FSRS ratings
(`episodes`, `rating`), the review deck with implicit credit (`schedule`), mastery, XP and the
streak (`progress`), and what to do next (`queue`). Pure functions over events; the progress
store keeps the events."""
