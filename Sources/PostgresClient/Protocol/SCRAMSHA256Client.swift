import FoundationEssentials
import Hashing

/// The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding (gs2 header "n,,"),
/// as pure values: no I/O, so a test can replay RFC 7677's example exchange.
///
/// ```swift
/// var scram = SCRAMSHA256Client(password: "pencil")
/// send(scram.clientFirstMessage)                               // n,,n=,r=…
/// send(try scram.clientFinalMessage(serverFirst: received))    // c=biws,r=…,p=…
/// try scram.verifyServerFinal(receivedFinal)                   // v=… must match
/// ```
package struct SCRAMSHA256Client: Sendable {
    private let username: String
    private let password: String
    private let clientNonce: String
    private var expectedServerSignature: [UInt8]?

    /// A client for `password`. PostgreSQL ignores the SCRAM user name (it uses the startup user), so it is
    /// empty by default; `clientNonce` is 18 random bytes in base64 unless given (tests only).
    package init(username: String = "", password: String, clientNonce: String? = nil) {
        self.username = username
        self.password = Self.normalize(password)
        self.clientNonce = clientNonce ?? Data(SecureRandom.bytes(18)).base64EncodedString()
    }

    /// client-first-message-bare: "n=<user>,r=<nonce>".
    package var clientFirstMessageBare: String { "n=\(Self.escape(username)),r=\(clientNonce)" }

    /// client-first-message: the gs2 header "n,," and the bare message.
    package var clientFirstMessage: String { "n,," + clientFirstMessageBare }

    /// Answers the server-first-message ("r=…,s=…,i=…") with the client-final-message
    /// ("c=biws,r=…,p=…"), and remembers the server signature to expect.
    package mutating func clientFinalMessage(serverFirst: String) throws -> String {
        let attributes = Self.attributes(serverFirst)
        guard let nonce = attributes["r"], let saltText = attributes["s"], let iterationText = attributes["i"] else {
            throw Self.failure("the server-first-message lacks r, s or i: \(serverFirst)")
        }
        guard nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count else {
            throw Self.failure("the server nonce does not extend the client nonce")
        }
        guard let salt = Data(base64Encoded: saltText), !salt.isEmpty else {
            throw Self.failure("the server salt is not base64")
        }
        guard let iterations = Int(iterationText), iterations > 0 else {
            throw Self.failure("invalid iteration count \(iterationText)")
        }
        let saltedPassword = PBKDF2.sha256(password: Array(password.utf8), salt: Array(salt), iterations: iterations)
        let clientKey = HMACSHA256.authenticationCode(for: Array("Client Key".utf8), key: saltedPassword)
        let storedKey = SHA256Digest.hash(clientKey)
        let withoutProof = "c=biws,r=\(nonce)"
        let authMessage = Array("\(clientFirstMessageBare),\(serverFirst),\(withoutProof)".utf8)
        let clientSignature = HMACSHA256.authenticationCode(for: authMessage, key: storedKey)
        let proof = zip(clientKey, clientSignature).map { $0 ^ $1 }
        let serverKey = HMACSHA256.authenticationCode(for: Array("Server Key".utf8), key: saltedPassword)
        expectedServerSignature = HMACSHA256.authenticationCode(for: authMessage, key: serverKey)
        return "\(withoutProof),p=\(Data(proof).base64EncodedString())"
    }

    /// Checks the server-final-message ("v=<signature>"): the server proves it knows the password too.
    package func verifyServerFinal(_ serverFinal: String) throws {
        let attributes = Self.attributes(serverFinal)
        if let error = attributes["e"] { throw Self.failure("the server rejected the exchange: \(error)") }
        guard let expectedServerSignature else { throw Self.failure("server-final-message before server-first-message") }
        guard let signatureText = attributes["v"], let signature = Data(base64Encoded: signatureText) else {
            throw Self.failure("the server-final-message has no signature: \(serverFinal)")
        }
        guard ConstantTime.equals(Array(signature), expectedServerSignature) else {
            throw Self.failure("the server signature does not match: the server does not know the password")
        }
    }

    private static func attributes(_ message: String) -> [Character: String] {
        var result: [Character: String] = [:]
        for part in message.split(separator: ",", omittingEmptySubsequences: true) {
            guard part.count >= 2, part[part.index(after: part.startIndex)] == "=" else { continue }
            result[part.first!] = String(part.dropFirst(2))
        }
        return result
    }

    private static func escape(_ name: String) -> String {
        name.replacingAll("=", with: "=3D").replacingAll(",", with: "=2C")
    }

    /// A simplified SASLprep (RFC 4013): non-ASCII spaces become spaces and the text is NFKC-normalised.
    /// ASCII passwords are unchanged.
    private static func normalize(_ password: String) -> String {
        guard password.utf8.contains(where: { $0 >= 0x80 }) else { return password }
        let spaces: Set<Unicode.Scalar> = ["\u{00A0}", "\u{1680}", "\u{2000}", "\u{2001}", "\u{2002}", "\u{2003}", "\u{2004}",
                                           "\u{2005}", "\u{2006}", "\u{2007}", "\u{2008}", "\u{2009}", "\u{200A}", "\u{200B}",
                                           "\u{202F}", "\u{205F}", "\u{3000}"]
        var scalars = String.UnicodeScalarView()
        for scalar in password.unicodeScalars {
            if ["\u{00AD}", "\u{034F}", "\u{200C}", "\u{200D}", "\u{FEFF}"].contains(scalar) { continue }
            scalars.append(spaces.contains(scalar) ? " " : scalar)
        }
        return CompatibilityDecomposition.nfkc(String(scalars))
    }

    private static func failure(_ message: String) -> PostgresError {
        PostgresError(kind: .authentication, message: "SCRAM-SHA-256: \(message)")
    }
}

extension String {
    /// Every occurrence of `target` replaced, compared by UTF-8 bytes: "\n" is found inside "\r\n" too, as with
    /// Foundation's `replacingOccurrences(of:with:)` (the stdlib's `replacing(_:with:)` compares Characters, and
    /// "\r\n" is one). Unlike Foundation, an occurrence followed by a combining mark is replaced too.
    func replacingAll(_ target: String, with replacement: String) -> String {
        String(decoding: Array(utf8).replacing(Array(target.utf8), with: Array(replacement.utf8)), as: UTF8.self)
    }
}
