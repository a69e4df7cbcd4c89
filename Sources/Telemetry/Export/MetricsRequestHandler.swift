import NIOCore
import NIOHTTP1
import Prometheus

/// Answers the first request on a connection, then closes it: `GET` or `HEAD /metrics` (any
/// query) gets the exposition, another path 404, another method 405.
final class MetricsRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let exposition = "text/plain; version=0.0.4; charset=utf-8"
    private static let plainText = "text/plain; charset=utf-8"

    private let registry: PrometheusCollectorRegistry
    private var answered = false

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data), !answered else { return }
        answered = true
        let (status, contentType, body, extraHeaders) = answer(request)
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(body.count)), ("Connection", "close")])
        headers.add(contentsOf: extraHeaders)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        // Closing only once the response is out: closing earlier would drop what the socket has not taken yet.
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    /// A malformed or oversized head: NIO's protocol error handler has answered 400, and the
    /// connection ends here rather than at its deadline.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func answer(
        _ request: HTTPRequestHead
    ) -> (status: HTTPResponseStatus, contentType: String, body: [UInt8], extraHeaders: [(String, String)]) {
        guard request.method == .GET || request.method == .HEAD else {
            return (.methodNotAllowed, Self.plainText, Array("method not allowed\n".utf8), [("Allow", "GET, HEAD")])
        }
        guard request.uri.prefix(while: { $0 != "?" }) == "/metrics" else {
            return (.notFound, Self.plainText, Array("not found; metrics are at /metrics\n".utf8), [])
        }
        return (.ok, Self.exposition, registry.emitToBuffer(), [])
    }
}
