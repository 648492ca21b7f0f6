import KubeCore

extension LabelSelector.ParseError {
    /// The `400 BadRequest` the API server answers for a selector it cannot parse.
    var status: APIStatus { APIStatus(code: 400, reason: .badRequest, message: message) }
}
