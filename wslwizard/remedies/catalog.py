"""The repairs wslwizard knows, described for the person choosing one.

Plans with their exact steps are built in :mod:`wslwizard.remedies.plans`;
this catalog holds what a chooser needs to compare them: how long a repair
lasts, what it risks, and whether it can be undone.
"""

from __future__ import annotations

from dataclasses import dataclass

from wslwizard.i18n import N_


@dataclass(frozen=True)
class RemedyInfo:
    id: str
    title: str
    lasts: str
    risk: str
    undo: str
    reversible: bool
    effort: int
    """Lower is quicker; used to order repairs of equal merit."""


REMEDIES: dict[str, RemedyInfo] = {
    info.id: info
    for info in (
        RemedyInfo(
            "load-now",
            N_("Load the tun driver now"),
            N_("Until WSL shuts down (a Windows restart or wsl --shutdown)."),
            N_("None to your data. Needs administrator (root) rights in this distro."),
            N_("Run 'modprobe -r tun', or simply restart WSL."),
            True,
            1,
        ),
        RemedyInfo(
            "load-at-boot",
            N_("Load the tun driver every time this distro starts"),
            N_("Until the setting is removed."),
            N_(
                "Helps only when this distro starts before Docker Desktop's engine. "
                "It adds one small file (with systemd) or a line in /etc/wsl.conf "
                "(a backup is kept)."
            ),
            N_("Remove the file that was added, or restore the backup."),
            True,
            2,
        ),
        RemedyInfo(
            "upgrade-wsl",
            N_("Update WSL to a release with the fix (2.5.9 or later)"),
            N_("For good."),
            N_(
                "Stops every WSL session, including this wizard and any SSH session "
                "into WSL."
            ),
            N_("An update cannot be undone by 'wsl --update'; only a rollback can."),
            False,
            3,
        ),
        RemedyInfo(
            "rollback-wsl",
            N_("Roll WSL back to 2.4.13, whose kernel has tun built in"),
            N_("Until something updates WSL again (the Store, 'wsl --update', IT)."),
            N_(
                "The hardest to reverse: stops all of WSL, and Docker's data should be "
                "backed up first. An old WSL also misses later security fixes."
            ),
            N_("Update WSL again with 'wsl --update'."),
            False,
            4,
        ),
        RemedyInfo(
            "restart-docker",
            N_("Restart Docker Desktop and check that its engine answers"),
            N_("Not a repair by itself: it makes Docker use a fix made above."),
            N_("Running containers stop while Docker Desktop restarts."),
            N_("Nothing to undo."),
            True,
            1,
        ),
    )
}
