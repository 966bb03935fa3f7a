package io.polycube.core.restconf;

import java.util.Optional;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeModification;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/** The configuration datastore (skeleton). */
public final class Datastore {
    /** One edit of a modification; may read the modification to check preconditions. */
    @FunctionalInterface
    public interface Edit {
        void apply(DataTreeModification modification) throws RestconfException;
    }

    public Datastore(EffectiveModelContext context, ChangeApplier applier) {
        throw new UnsupportedOperationException();
    }

    public EffectiveModelContext context() {
        throw new UnsupportedOperationException();
    }

    public void setContext(EffectiveModelContext context) {
        throw new UnsupportedOperationException();
    }

    public Optional<NormalizedNode> read(YangInstanceIdentifier path) {
        throw new UnsupportedOperationException();
    }

    public void write(Edit edit) throws RestconfException {
        throw new UnsupportedOperationException();
    }
}
