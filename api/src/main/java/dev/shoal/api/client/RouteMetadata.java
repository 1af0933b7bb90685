package dev.shoal.api.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.rsocket.metadata.CompositeMetadata;
import io.rsocket.metadata.CompositeMetadataCodec;
import io.rsocket.metadata.RoutingMetadata;
import io.rsocket.metadata.TaggingMetadataCodec;
import io.rsocket.metadata.WellKnownMimeType;
import java.util.List;

/** Writes and reads the routing entry of composite metadata, on both sides of the API. */
public final class RouteMetadata {
    private RouteMetadata() {}

    /** Composite metadata holding one routing entry. */
    public static ByteBuf encode(ByteBufAllocator alloc, String route) {
        ByteBuf routing = TaggingMetadataCodec.createRoutingMetadata(alloc, List.of(route)).getContent();
        CompositeByteBuf composite = alloc.compositeBuffer();
        CompositeMetadataCodec.encodeAndAddMetadata(composite, alloc, WellKnownMimeType.MESSAGE_RSOCKET_ROUTING, routing);
        return composite;
    }

    /**
     * The route named in composite metadata, or null when there is none.
     *
     * @throws IllegalArgumentException when the metadata is not valid composite metadata
     */
    public static String decode(ByteBuf metadata) {
        if (metadata == null || !metadata.isReadable()) {
            return null;
        }
        for (CompositeMetadata.Entry entry : new CompositeMetadata(metadata, false)) {
            if (WellKnownMimeType.MESSAGE_RSOCKET_ROUTING.getString().equals(entry.getMimeType())) {
                for (String tag : new RoutingMetadata(entry.getContent())) {
                    return tag;
                }
            }
        }
        return null;
    }
}
