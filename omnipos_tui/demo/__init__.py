"""Demo data and the demo seeder, which drives the real services. Never imported by services."""
