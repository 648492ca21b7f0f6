import Foundation

// Entry point of `incident-operator`; commands are dispatched by IncidentOperatorCommand.
exit(IncidentOperatorCommand.main(arguments: Array(CommandLine.arguments.dropFirst())))
