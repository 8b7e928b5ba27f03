"""security-scan: scanners behind one interface, one findings model, one honest gate."""
