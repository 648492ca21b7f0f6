print("incident-platform")
