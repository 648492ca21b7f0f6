import Foundation
import Testing
@testable import HTTPServer

@Suite("HTTPServer")
struct HTTPServerTests {
    /// Echoes method, path, query and body; `/stream` sends three chunks.
    static func echoServer(_ options: HTTPServerOptions = HTTPServerOptions()) throws -> (HTTPServer, Int) {
        let server = HTTPServer(options: options) { request in
            if request.path == "/stream" {
                return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], body: .stream { writer in
                    for i in 1...3 { writer.write("part \(i)\n") }
                })
            }
            let text = "\(request.method) \(request.path) q=\(request.query["q"] ?? "-") body=\(String(decoding: request.body, as: UTF8.self))"
            return .text(200, text)
        }
        return (server, try server.start())
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        let (server, port) = try Self.echoServer()
        defer { server.stop() }
        #expect(port > 0)
        let c = try RawConnection(port: port)
        c.send("GET /a?q=hello%20world HTTP/1.1\r\nHost: x\r\n\r\n")
        let first = try #require(c.readResponse())
        #expect(first.status == 200)
        #expect(first.body == "GET /a q=hello world body=")
        c.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n")
        let second = try #require(c.readResponse())
        #expect(second.body == "GET /b q=- body=")
    }

    @Test func bodiesByContentLengthAndChunked() throws {
        let (server, port) = try Self.echoServer()
        defer { server.stop() }
        let c = try RawConnection(port: port)
        c.send("POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello")
        #expect(c.readResponse()?.body == "POST /x q=- body=hello")
        c.send("PUT /y HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\n\r\n")
        #expect(c.readResponse()?.body == "PUT /y q=- body=abcdefg")
    }

    @Test func streamsChunkedResponses() throws {
        let (server, port) = try Self.echoServer()
        defer { server.stop() }
        let c = try RawConnection(port: port)
        c.send("GET /stream HTTP/1.1\r\n\r\n")
        let r = try #require(c.readResponse())
        #expect(r.headers["transfer-encoding"] == "chunked")
        #expect(r.body == "part 1\npart 2\npart 3\n")
        c.send("GET /after HTTP/1.1\r\n\r\n")
        #expect(c.readResponse()?.body == "GET /after q=- body=", "the connection stays usable after a stream")
    }

    @Test func rejectsOversizedAndMalformedRequests() throws {
        let (server, port) = try Self.echoServer(HTTPServerOptions(maxHeaderBytes: 256, maxBodyBytes: 10))
        defer { server.stop() }
        let big = try RawConnection(port: port)
        big.send("GET / HTTP/1.1\r\nX-Long: \(String(repeating: "a", count: 400))\r\n\r\n")
        #expect(big.readResponse()?.status == 431)
        let body = try RawConnection(port: port)
        body.send("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world")
        #expect(body.readResponse()?.status == 413)
        let chunked = try RawConnection(port: port)
        chunked.send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nff\r\n")
        #expect(chunked.readResponse()?.status == 413)
        let bad = try RawConnection(port: port)
        bad.send("NONSENSE\r\n\r\n")
        #expect(bad.readResponse()?.status == 400)
        let badLength = try RawConnection(port: port)
        badLength.send("POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n")
        #expect(badLength.readResponse()?.status == 400)
    }

    @Test func connectionCloseIsHonoured() throws {
        let (server, port) = try Self.echoServer()
        defer { server.stop() }
        let c = try RawConnection(port: port)
        c.send("GET /x HTTP/1.1\r\nConnection: close\r\n\r\n")
        let r = try #require(c.readResponse())
        #expect(r.headers["connection"] == "close")
        #expect(c.readLine() == nil, "the server closes the connection")
    }

    @Test func stopEndsOpenStreams() throws {
        let started = DispatchSemaphore(value: 0)
        let ended = DispatchSemaphore(value: 0)
        let server = HTTPServer { _ in
            HTTPResponse(status: 200, body: .stream { writer in
                writer.write("open\n")
                started.signal()
                while writer.isOpen { usleep(10_000) }
                ended.signal()
            })
        }
        let port = try server.start()
        let c = try RawConnection(port: port)
        c.send("GET / HTTP/1.1\r\n\r\n")
        #expect(started.wait(timeout: .now() + 10) == .success)
        server.stop()
        #expect(ended.wait(timeout: .now() + 10) == .success)
    }

    @Test func clientGoneIsSeenByTheStream() throws {
        let ended = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let server = HTTPServer { _ in
            HTTPResponse(status: 200, body: .stream { writer in
                started.signal()
                while writer.isOpen { usleep(10_000) }
                ended.signal()
            })
        }
        let port = try server.start()
        defer { server.stop() }
        var c: RawConnection? = try RawConnection(port: port)
        c?.send("GET / HTTP/1.1\r\n\r\n")
        #expect(started.wait(timeout: .now() + 10) == .success)
        c = nil
        #expect(ended.wait(timeout: .now() + 10) == .success)
    }

    @Test func connectionCapAnswers503() throws {
        let (server, port) = try Self.echoServer(HTTPServerOptions(maxConnections: 1))
        defer { server.stop() }
        let first = try RawConnection(port: port)
        first.send("GET /one HTTP/1.1\r\n\r\n")
        #expect(first.readResponse()?.status == 200)
        let second = try RawConnection(port: port)
        second.send("GET /two HTTP/1.1\r\n\r\n")
        #expect(second.readResponse()?.status == 503)
    }

    @Test func bindErrorNamesTheAddress() throws {
        let (server, port) = try Self.echoServer()
        defer { server.stop() }
        let clash = HTTPServer(options: HTTPServerOptions(port: port)) { _ in .text(200, "") }
        #expect(throws: HTTPServer.StartError.self) { try clash.start() }
        let bad = HTTPServer(options: HTTPServerOptions(host: "not-an-ip")) { _ in .text(200, "") }
        #expect(throws: HTTPServer.StartError.self) { try bad.start() }
    }

    @Test func queryDecoding() {
        let r = HTTPRequest(method: "GET", path: "/", rawQuery: "labelSelector=app%3Dweb%2Ctier+in+(a)&limit=5&flag")
        #expect(r.query["labelSelector"] == "app=web,tier in (a)")
        #expect(r.query["limit"] == "5")
        #expect(r.query["flag"] == "")
        #expect(HTTPRequest.percentDecode("%zz%41") == "%zzA")
    }
}

@Suite("HTTPServer connection resets")
struct HTTPServerResetTests {
    @Test func resetConnectionAnswersNothing() throws {
        let server = HTTPServer { request in
            request.path == "/reset" ? HTTPResponse(status: 0, body: .resetConnection) : .text(200, "fine")
        }
        let port = try server.start()
        defer { server.stop() }
        let c = try RawConnection(port: port)
        c.send("GET /reset HTTP/1.1\r\n\r\n")
        #expect(c.readResponse() == nil)
        let other = try RawConnection(port: port)
        other.send("GET /ok HTTP/1.1\r\n\r\n")
        #expect(other.readResponse()?.body == "fine", "the server keeps serving other connections")
    }
}

@Suite("HTTPServer graceful stop")
struct HTTPServerGracefulStopTests {
    @Test func requestInProgressStillGetsItsAnswer() throws {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let server = HTTPServer { _ in
            entered.signal()
            _ = release.wait(timeout: .now() + 10)
            return .text(200, "finished")
        }
        let port = try server.start()
        let c = try RawConnection(port: port)
        c.send("GET /slow HTTP/1.1\r\n\r\n")
        #expect(entered.wait(timeout: .now() + 10) == .success)
        let stopped = DispatchSemaphore(value: 0)
        Thread { server.stop(); stopped.signal() }.start()
        usleep(100_000)
        release.signal()
        #expect(c.readResponse()?.body == "finished")
        #expect(stopped.wait(timeout: .now() + 10) == .success)
        #expect(server.openConnections == 0)
    }
}

@Suite("HTTPServer Expect: 100-continue")
struct HTTPServerContinueTests {
    @Test func answers100ContinueBeforeReadingTheBody() throws {
        let (server, port) = try HTTPServerTests.echoServer()
        defer { server.stop() }
        let c = try RawConnection(port: port)
        c.send("POST /big HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        #expect(c.readLine() == "HTTP/1.1 100 Continue")
        #expect(c.readLine() == "")
        c.send("body")
        #expect(c.readResponse()?.body == "POST /big q=- body=body")
    }
}
