package io.polycube.core.restconf;

import java.io.IOException;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/**
 * Told of every configuration the {@link Datastore} is about to commit, after the
 * {@link ChangeApplier} accepted it, one at a time and in commit order (persistence). Throwing refuses
 * the commit: the applier's change is reverted and the client gets a 500.
 */
@FunctionalInterface
public interface CommitListener {
    CommitListener NONE = (context, root) -> { };

    /** {@code root}: the whole configuration datastore as it will be once committed. */
    void committing(EffectiveModelContext context, NormalizedNode root) throws IOException;
}
