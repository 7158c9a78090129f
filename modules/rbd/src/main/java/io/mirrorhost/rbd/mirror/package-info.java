/**
 * rbd's mirroring commands ({@code rbd mirror pool ...}, {@code rbd mirror pool peer ...},
 * {@code rbd mirror image ...}) as rbd 16.2 words and prints them; {@link io.mirrorhost.rbd.mirror.MirrorCommands}
 * lists them. Handlers parse with the module's spec parser, call the cluster SPI, and print through pure
 * formatters ({@link io.mirrorhost.rbd.mirror.MirrorPoolInfoFormatter},
 * {@link io.mirrorhost.rbd.mirror.MirrorStatusFormatter}).
 *
 * <h2>What the commands expect from a cluster backend</h2>
 * The backend enforces librbd's rules; the commands only word the outcome. A failure is a
 * {@code ClusterException} with librbd's errno; where librbd logs an error, its message is that log text
 * without timestamp and thread ({@code librbd::api::Mirror: image_enable: cannot enable mirroring: pool is
 * not in image mirror mode}), one line per log entry, and empty where librbd logs nothing.
 * <ul>
 * <li>{@code listPools}/{@code listNamespaces}: used to report a missing pool or namespace as rbd does.</li>
 * <li>{@code mirrorModeGet}: DISABLED for a pool or namespace never enabled.</li>
 * <li>{@code mirrorModeSet} ({@code Mirror::mode_set}): same mode: no-op; DISABLED while the pool (default
 * namespace) has peers: EBUSY "mode_set: mirror peers still registered"; from IMAGE to DISABLED while an
 * image is still enabled: EINVAL "mode_set: failed to disable mirror mode: there are still images with
 * mirroring enabled"; from POOL to DISABLED: disables every mirrored image; to POOL: enables journal
 * mirroring on every image with journaling; leaving DISABLED allocates the mirror uuid.</li>
 * <li>{@code mirrorSiteNameGet}: the fsid until a name is set; {@code mirrorSiteNameSet} trims it;
 * EOPNOTSUPP if the cluster has no site names.</li>
 * <li>{@code mirrorRemoteNamespaceGet/Set}: only called for {@code --remote-namespace}.</li>
 * <li>{@code mirrorPeerBootstrapCreate}: base64 of {@code {"fsid","client_id":"rbd-mirror-peer","key",
 * "mon_host"}} (no newline); EINVAL if mirroring is disabled; EEXIST for a caps mismatch of the peer user.</li>
 * <li>{@code mirrorPeerBootstrapImport(pool, direction, token)}: the token as read (up to 1023 bytes, may
 * end with a newline). Bad base64: EINVAL "peer_bootstrap_import: failed to decode base64"; JSON without
 * the four string fields: EINVAL "... invalid bootstrap token JSON received"; own fsid: EINVAL "... cannot
 * import token for local cluster"; same site name: EINVAL "... cannot import token for duplicate site name";
 * unreachable: the connect errno; remote pool missing: ENOENT (no log); remote pool not mirrored: ENOSYS (no
 * log). Local mirroring disabled: copies the remote pool's mode. rx-tx also registers this site on the remote.
 * The peer of the remote site name is updated if it exists, else added (client {@code client.<client_id>}),
 * with {@code mon_host} and {@code key} as attributes.</li>
 * <li>{@code mirrorPeerSiteAdd}: site name equal to the local cluster (conf) name: EINVAL "peer_site_add:
 * cannot add self as remote peer"; TX_ONLY: EINVAL; an existing site name: EEXIST. Returns the new uuid.
 * (The one-RX-peer rule is the command's, not the backend's.)</li>
 * <li>{@code mirrorPeerSiteRemove}: an unknown uuid is not an error; removes the peer's attributes too.</li>
 * <li>{@code mirrorPeerSiteList}: in the order peers were added; {@code mirrorUuid} empty until the peer's
 * daemon pinged ({@code mirrorPeerPing} sets it; an unknown site becomes a TX_ONLY peer).</li>
 * <li>{@code mirrorPeerSiteGetAttributes}: ENOENT when none are stored (EPERM/EINVAL are worded too);
 * {@code mirrorPeerSiteSetAttributes}: ENOENT for an unknown peer; the map replaces the stored one.</li>
 * <li>{@code mirrorImageStatusSummary}: counts by state of the mirrored images; 16.2 was observed to count an
 * image by its up statuses (local and receiving peers with a mirror uuid), a primary's {@code stopped} giving
 * way to the peer's state, and as unknown when no status is up.</li>
 * <li>{@code mirrorImageGlobalStatusList}: every mirror-enabled image with its name, id, info and all site
 * statuses (local one under mirror uuid ""); the command sorts by name.</li>
 * <li>{@code openImage}: ENOENT for a missing image (no log).</li>
 * <li>{@code Image.mirrorInfo}: state DISABLED and empty global id for a never-mirrored image.</li>
 * <li>{@code Image.mirrorEnable} ({@code Mirror::image_enable}): pool not in IMAGE mode: EINVAL "image_enable:
 * cannot enable mirroring: pool is not in image mirror mode"; JOURNAL turns exclusive-lock and journaling on
 * first (16.2 keeps them even if the next check fails); enabled in the same mode: no-op; in another mode:
 * EINVAL "librbd::mirror::EnableRequest: invalid current image mirror mode" + "image_enable: cannot enable
 * mirroring: (22) Invalid argument"; SNAPSHOT creates the first primary mirror-snapshot, linked to every
 * peer that is not rx-only.</li>
 * <li>{@code Image.mirrorDisable(force)}: pool not in IMAGE mode: EINVAL "image_disable: cannot disable
 * mirroring in the current pool mirroring mode"; not mirrored: no-op; not primary without force: EINVAL
 * "librbd::mirror::DisableRequest: mirrored image is not primary, add force option to disable mirroring" +
 * "image_disable: cannot disable mirroring: (22) Invalid argument"; removes mirror-snapshots, and journaling
 * for a journal-mode image.</li>
 * <li>{@code Image.mirrorPromote(force)}: primary: EINVAL "librbd::mirror::PromoteRequest: image is already
 * primary" + "image_promote: failed to promote image"; a replica of a live remote primary without force:
 * EBUSY "... image is primary within a remote cluster or demotion is not propagated yet"; an image demoted
 * here (or whose demotion reached here) promotes without force; snapshot mode adds a primary snapshot.</li>
 * <li>{@code Image.mirrorDemote}: not primary: EINVAL "librbd::mirror::DemoteRequest: image is not primary"
 * + "image_demote: failed to demote image"; snapshot mode adds a demoted primary snapshot.</li>
 * <li>{@code Image.mirrorResync}: primary: EINVAL "image_resync: image is primary, cannot resync to
 * itself"; otherwise flags the image.</li>
 * <li>{@code Image.mirrorCreateSnapshot}: not primary: EINVAL "librbd::mirror::snapshot::util:
 * can_create_primary_snapshot: ..."; returns the snapshot id rbd prints; prunes beyond the limit (5).</li>
 * <li>{@code Image.mirrorGlobalStatus}, {@code Image.listSnaps} (mirror snapshots with their
 * {@code MirrorSnapshotInfo}), {@code Image.close}.</li>
 * </ul>
 */
package io.mirrorhost.rbd.mirror;
