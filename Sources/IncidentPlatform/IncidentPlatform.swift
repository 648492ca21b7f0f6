/// The IncidentPlatform module. See README.md for the architecture.
public enum IncidentPlatformModule {}
