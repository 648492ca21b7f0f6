/// The PlatformController module. See README.md for the architecture.
public enum PlatformControllerModule {}
