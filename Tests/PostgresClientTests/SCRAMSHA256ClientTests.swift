@testable import PostgresClient
import Testing

@Suite("SCRAM-SHA-256 exchange, offline")
struct SCRAMSHA256ClientTests {
    private let serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"

    @Test("RFC 7677 §3 example: client-first, client-final and server signature match exactly")
    func rfc7677Example() throws {
        var client = SCRAMSHA256Client(username: "user", password: "pencil", clientNonce: "rOprNGfwEbeRWgbNEkqO")
        #expect(client.clientFirstMessage == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        let final = try client.clientFinalMessage(serverFirst: serverFirst)
        #expect(final == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        try client.verifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
    }

    @Test("A wrong server signature is rejected")
    func wrongServerSignature() throws {
        var client = SCRAMSHA256Client(username: "user", password: "pencil", clientNonce: "rOprNGfwEbeRWgbNEkqO")
        _ = try client.clientFinalMessage(serverFirst: serverFirst)
        #expect(throws: PostgresError.self) {
            try client.verifyServerFinal("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
        }
        #expect(throws: PostgresError.self) { try client.verifyServerFinal("e=invalid-proof") }
    }

    @Test("A server nonce that does not extend the client nonce is rejected")
    func foreignNonce() {
        var client = SCRAMSHA256Client(password: "pencil", clientNonce: "abc")
        #expect(throws: PostgresError.self) { _ = try client.clientFinalMessage(serverFirst: "r=xyz123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096") }
    }

    @Test("The default nonce is random and the user name is empty (PostgreSQL uses the startup user)")
    func defaults() {
        let a = SCRAMSHA256Client(password: "x"), b = SCRAMSHA256Client(password: "x")
        #expect(a.clientFirstMessage.hasPrefix("n,,n=,r="))
        #expect(a.clientFirstMessage != b.clientFirstMessage)
    }
}
