package virtio

// virtio-mmio registers, VIRTIO 1.1 table 4.1 ("MMIO Device Register
// Layout") and 4.2.4 for the legacy ones.
const (
	MagicValue        = 0x000 // "virt"
	Version           = 0x004
	DeviceID          = 0x008
	VendorID          = 0x00c
	DeviceFeatures    = 0x010
	DeviceFeaturesSel = 0x014
	DriverFeatures    = 0x020
	DriverFeaturesSel = 0x024
	GuestPageSize     = 0x028 // legacy
	QueueSel          = 0x030
	QueueNumMax       = 0x034
	QueueNum          = 0x038
	QueueAlign        = 0x03c // legacy
	QueuePFN          = 0x040 // legacy
	QueueReady        = 0x044
	QueueNotify       = 0x050
	InterruptStatus   = 0x060
	InterruptACK      = 0x064
	Status            = 0x070
	QueueDescLow      = 0x080
	QueueDescHigh     = 0x084
	QueueDriverLow    = 0x090
	QueueDriverHigh   = 0x094
	QueueDeviceLow    = 0x0a0
	QueueDeviceHigh   = 0x0a4
	Config            = 0x100 // device-specific: for a block device, capacity (le64)

	Magic       = 0x74726976 // "virt" little-endian
	DeviceBlock = 2
)

// Device status bits (2.1).
const (
	StatusAcknowledge = 1
	StatusDriver      = 2
	StatusDriverOK    = 4
	StatusFeaturesOK  = 8
	StatusFailed      = 128
)

// Feature bit VIRTIO_F_VERSION_1 (6): bit 0 of the second feature word.
const featureVersion1 = 1 << 0

// Descriptor flags (2.6.5).
const (
	descNext  = 1
	descWrite = 2 // the device writes this buffer
)

// Block request types and status (5.2.6).
const (
	blkIn  = 0 // read
	blkOut = 1 // write
	blkOK  = 0
)

// SectorSize is the unit of block requests.
const SectorSize = 512
