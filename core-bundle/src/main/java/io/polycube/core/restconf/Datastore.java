package io.polycube.core.restconf;

import static java.util.Objects.requireNonNull;

import io.polycube.core.spi.CubeException;
import java.time.Instant;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.tree.api.DataTree;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeCandidate;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeConfiguration;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeModification;
import org.opendaylight.yangtools.yang.data.tree.api.DataTreeSnapshot;
import org.opendaylight.yangtools.yang.data.tree.api.DataValidationFailedException;
import org.opendaylight.yangtools.yang.data.tree.api.TreeType;
import org.opendaylight.yangtools.yang.data.tree.impl.di.InMemoryDataTreeFactory;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;

/**
 * The configuration datastore: a yangtools {@link DataTree} (configuration type, mandatory-node
 * validation and unique indexes on). Writes are all-or-nothing and one at a time: an edit is applied
 * to a modification, validated by yangtools and by a dangling-leafref check, handed to the
 * {@link ChangeApplier} as {@link InstanceChange}s, and committed only if the applier accepts it and the
 * {@link CommitListener} (persistence) took it. The write returns once the listener says the commit is
 * durable, after the lock is released (group commit: writers that commit meanwhile share a disk flush).
 */
public final class Datastore {
    /** One edit of a modification; it may read the modification to check preconditions. */
    @FunctionalInterface
    public interface Edit {
        void apply(DataTreeModification modification) throws RestconfException;
    }

    private static final DataTreeConfiguration CONFIG = new DataTreeConfiguration.Builder(TreeType.CONFIGURATION)
        .setMandatoryNodesValidation(true).setUniqueIndexes(true).build();
    private static final InMemoryDataTreeFactory FACTORY = new InMemoryDataTreeFactory();

    private final ChangeApplier applier;
    private volatile DataTree tree;
    /** When the configuration last changed: the Last-Modified of the datastore and its resources. */
    private volatile Instant lastModified = Instant.now();
    private volatile CommitListener listener = CommitListener.NONE;
    /** The durability of the last commit: an edit that changes nothing still waits for what it saw. */
    private CommitListener.Durable lastDurable = CommitListener.Durable.NOW;
    /** Instances as the applier last saw them; used under the write lock only. */
    private final ConfigNodeCache converted = new ConfigNodeCache();

    public Datastore(EffectiveModelContext context, ChangeApplier applier) {
        this.applier = requireNonNull(applier);
        this.tree = FACTORY.create(CONFIG, requireNonNull(context));
    }

    /** Who hears of each configuration about to be committed (persistence); one listener. */
    public void setCommitListener(CommitListener listener) {
        this.listener = requireNonNull(listener);
        listener.bound(this);
    }

    public EffectiveModelContext context() {
        return tree.takeSnapshot().modelContext();
    }

    /**
     * Switches to a new schema. Top-level data whose module is gone (or no longer fits) is dropped;
     * the applier is not called for it (the cube type is gone).
     */
    public synchronized void setContext(EffectiveModelContext context) {
        NormalizedNode old = tree.takeSnapshot().readNode(YangInstanceIdentifier.of()).orElse(null);
        DataTree next = FACTORY.create(CONFIG, requireNonNull(context));
        if (old instanceof org.opendaylight.yangtools.yang.data.api.schema.ContainerNode root) {
            for (DataContainerChild child : root.body()) {
                if (context.findModule(child.name().getNodeType().getModule()).isEmpty()) {
                    continue;
                }
                try {
                    DataTreeModification mod = next.takeSnapshot().newModification();
                    mod.write(YangInstanceIdentifier.of(child.name()), child);
                    mod.ready();
                    next.validate(mod);
                    next.commit(next.prepare(mod));
                } catch (DataValidationFailedException | RuntimeException e) {
                    // The module changed incompatibly: its data is dropped.
                }
            }
        }
        tree = next;
    }

    public Optional<NormalizedNode> read(YangInstanceIdentifier path) {
        return tree.takeSnapshot().readNode(path);
    }

    /** One consistent view of the committed configuration, for a reader that reads several nodes. */
    DataTreeSnapshot snapshot() {
        return tree.takeSnapshot();
    }

    /**
     * Applies, validates, hands to the applier and commits one edit, or changes nothing.
     *
     * @throws RestconfException when the edit, validation or the applier refuse the change
     */
    public void write(Edit edit) throws RestconfException {
        CommitListener.Durable durable;
        synchronized (this) {
            durable = commit(edit);
        }
        try {
            durable.await();
        } catch (IOException e) {
            // The listener has put back the last durable state (datastore and data plane) before failing us.
            throw notSaved(e);
        }
    }

    private CommitListener.Durable commit(Edit edit) throws RestconfException {
        DataTree current = tree;
        DataTreeSnapshot snapshot = current.takeSnapshot();
        EffectiveModelContext context = snapshot.modelContext();
        DataTreeModification mod = snapshot.newModification();
        DataTreeCandidate candidate;
        try {
            edit.apply(mod);
            mod.ready();
            current.validate(mod);
            candidate = current.prepare(mod);
        } catch (DataValidationFailedException | IllegalArgumentException | IllegalStateException
                | com.google.common.base.VerifyException e) {
            throw invalid(e);
        }
        if (candidate.getRootNode().modificationType()
                == org.opendaylight.yangtools.yang.data.tree.api.ModificationType.UNMODIFIED) {
            // An edit that changes nothing (a disconnect of an unconnected port): yangtools' no-op candidate
            // has no data after it, and there is nothing to apply, save or commit.
            return lastDurable;
        }
        LeafrefChecker.check(context, candidate);
        List<InstanceChange> changes = InstanceChanges.of(context, candidate, converted);
        if (!changes.isEmpty()) {
            try {
                applier.apply(changes);
            } catch (CubeException e) {
                throw Errors.fromCube(e);
            }
        }
        CommitListener.Durable durable;
        try {
            durable = listener.committing(context, candidate.getRootNode().findDataAfter().orElseThrow(),
                changedTopLevel(candidate));
        } catch (IOException | RuntimeException e) {
            revert(changes);
            throw notSaved(e);
        }
        current.commit(candidate);
        lastModified = Instant.now();
        lastDurable = durable;
        return durable;
    }

    private static java.util.Set<org.opendaylight.yangtools.yang.common.QName> changedTopLevel(
            DataTreeCandidate candidate) {
        java.util.Set<org.opendaylight.yangtools.yang.common.QName> changed = new java.util.HashSet<>();
        for (var child : candidate.getRootNode().childNodes()) {
            if (child.modificationType() != org.opendaylight.yangtools.yang.data.tree.api.ModificationType.UNMODIFIED) {
                changed.add(child.name().getNodeType());
            }
        }
        return changed;
    }

    private static RestconfException notSaved(Exception e) {
        return new RestconfException(500, RestconfException.ErrorType.APPLICATION, "operation-failed", null,
            "the configuration could not be saved, nothing changed: " + Errors.clean(e.getMessage()));
    }

    /**
     * Puts back a configuration committed before (the last one on disk, after a failed save), in the tree
     * and, best effort, in the data plane; then runs {@code underLock}, still inside the write lock (no
     * commit gets in between). The listener is not told: it is what asked.
     */
    public synchronized void revertTo(NormalizedNode root, Runnable underLock) {
        try {
            putBack(root);
        } finally {
            underLock.run();
        }
    }

    private void putBack(NormalizedNode root) {
        DataTree current = tree;
        DataTreeSnapshot snapshot = current.takeSnapshot();
        EffectiveModelContext context = snapshot.modelContext();
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Datastore.class);
        try {
            var builder = org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes.newContainerBuilder()
                .withNodeIdentifier(((org.opendaylight.yangtools.yang.data.api.schema.ContainerNode) root).name());
            for (DataContainerChild child : ((org.opendaylight.yangtools.yang.data.api.schema.ContainerNode) root).body()) {
                // A module that left since is not put back (setContext dropped its data).
                if (context.findModule(child.name().getNodeType().getModule()).isPresent()) {
                    builder.withChild(child);
                }
            }
            DataTreeModification mod = snapshot.newModification();
            mod.write(YangInstanceIdentifier.of(), builder.build());
            mod.ready();
            current.validate(mod);
            DataTreeCandidate candidate = current.prepare(mod);
            if (candidate.getRootNode().modificationType()
                    == org.opendaylight.yangtools.yang.data.tree.api.ModificationType.UNMODIFIED) {
                return;
            }
            List<InstanceChange> changes = InstanceChanges.of(context, candidate);
            if (!changes.isEmpty()) {
                try {
                    applier.apply(changes);
                } catch (CubeException e) {
                    log.error("Could not put the data plane back to the last saved configuration", e);
                }
            }
            current.commit(candidate);
            lastModified = Instant.now();
            lastDurable = CommitListener.Durable.NOW;
        } catch (DataValidationFailedException | RuntimeException e) {
            log.error("Could not put the datastore back to the last saved configuration", e);
        }
    }

    /** When the last write committed (or the datastore was created). */
    public Instant lastModified() {
        return lastModified;
    }

    /** Undoes an applied change when its commit is refused after all (best effort, logged by the applier). */
    private void revert(List<InstanceChange> changes) {
        List<InstanceChange> inverse = new java.util.ArrayList<>();
        for (InstanceChange change : changes) {
            inverse.add(0, new InstanceChange(change.cubeType(), change.instanceName(), change.after(), change.before()));
        }
        try {
            if (!inverse.isEmpty()) {
                applier.apply(inverse);
            }
        } catch (CubeException e) {
            org.slf4j.LoggerFactory.getLogger(Datastore.class).error("Could not revert a change that was not saved", e);
        }
    }

    private static RestconfException invalid(Exception error) {
        String message = Errors.clean(error.getMessage());
        return RestconfException.badRequest(Errors.tagFor(message), null, message);
    }
}
