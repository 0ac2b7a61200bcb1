"""What the shop sells: article groups and products."""
