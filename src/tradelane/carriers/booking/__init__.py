"""Booking parcels with carriers: karrio where karrio has the carrier, manual otherwise."""
