//! Cisco NX-OS (Nexus 9000/3000): the platform liaison supports end to end.
