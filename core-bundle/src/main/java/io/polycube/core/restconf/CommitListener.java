package io.polycube.core.restconf;

import java.io.IOException;
import java.util.Set;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/**
 * Told of every configuration the {@link Datastore} is about to commit, after the
 * {@link ChangeApplier} accepted it, one at a time and in commit order, inside the datastore's lock
 * (persistence). It must only take note (no disk wait there): the {@link Durable} it returns is awaited
 * after the lock is released, before the write returns, so concurrent commits can share one disk flush.
 * Throwing refuses the commit: the applier's change is reverted and the client gets a 500.
 */
@FunctionalInterface
public interface CommitListener {
    CommitListener NONE = (context, root, changed) -> Durable.NOW;

    /**
     * @param root the whole configuration datastore as it will be once committed
     * @param changed the top-level nodes this commit changes
     */
    Durable committing(EffectiveModelContext context, NormalizedNode root, Set<QName> changed) throws IOException;

    /** The datastore this listener now hears from (to put back the last durable state after a failed save). */
    default void bound(Datastore datastore) {
    }

    /** A commit's durability: {@link #await} returns once it is on disk, or throws if it could not be saved. */
    @FunctionalInterface
    interface Durable {
        Durable NOW = () -> { };

        void await() throws IOException;
    }
}
