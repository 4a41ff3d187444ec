"""phoihop: the software of a province's inter-agency coordination programme."""
