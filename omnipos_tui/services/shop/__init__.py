"""Setting up and checking a shop: init, doctor, the devices."""
