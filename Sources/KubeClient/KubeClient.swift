/// The KubeClient module. See README.md for the architecture.
public enum KubeClientModule {}
