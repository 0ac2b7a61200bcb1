"""Customer orders and shipments: the order register (what the customer ordered, reserved
where, picked, in which parcel), its state machine, the paper it prints and the carrier
port."""
