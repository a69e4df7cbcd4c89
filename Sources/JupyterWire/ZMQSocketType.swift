import CZeroMQ

/// The ZeroMQ socket patterns a Jupyter kernel (and its tests) use.
public enum ZMQSocketType: Sendable, Hashable {
    case router, pub, rep, dealer, req, sub, pair

    var rawValue: Int32 {
        switch self {
        case .router: ZMQ_ROUTER
        case .pub: ZMQ_PUB
        case .rep: ZMQ_REP
        case .dealer: ZMQ_DEALER
        case .req: ZMQ_REQ
        case .sub: ZMQ_SUB
        case .pair: ZMQ_PAIR
        }
    }
}
