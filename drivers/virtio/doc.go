// Package virtio drives block devices on the virtio-mmio transport, as QEMU
// virt provides them (Virtual I/O Device (VIRTIO) Version 1.1, OASIS: 4.2
// "Virtio Over MMIO", 2.6 "Split Virtqueues", 5.2 "Block Device"). Both the
// legacy transport (version 1, QEMU's default) and the modern one (version
// 2, -global virtio-mmio.force-legacy=false) are handled.
//
// Block is an io.ReaderAt and io.WriterAt over 512-byte sectors. Requests
// are synchronous: one three-descriptor chain (header, data, status) at a
// time. The request then spins on the used ring or, once the framework
// serves the device's interrupt, sleeps until HandleInterrupt wakes it.
//
// Where it runs: the Go kernel at EL1 after the runtime has started, with
// DMA memory from the C core (virt's virtio devices are cache-coherent,
// dma-coherent in the device tree); the host with a simulated device.
package virtio
