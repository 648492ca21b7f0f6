/// The KubeSandbox module. See README.md for the architecture.
public enum KubeSandboxModule {}
