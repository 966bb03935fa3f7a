package io.polycube.core.restconf;

/** XML bodies (RFC 8040 application/yang-data+xml): not yet supported, so negotiation never picks them. */
final class XmlBodies {
    static final boolean ENABLED = false;

    private XmlBodies() {
    }
}
