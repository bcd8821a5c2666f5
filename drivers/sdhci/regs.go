package sdhci

// Registers, BCM2835 ARM Peripherals 5.4 (SDHCI 3.00 names in brackets).
const (
	ARG2         = 0x00 // [SDMA System Address / Argument 2]
	BLKSIZECNT   = 0x04 // block size (bits 9:0) and count (31:16)
	ARG1         = 0x08 // command argument
	CMDTM        = 0x0c // [Transfer Mode | Command]
	RESP0        = 0x10 // response bits 31:0 (of the response without CRC)
	RESP1        = 0x14
	RESP2        = 0x18
	RESP3        = 0x1c
	DATA         = 0x20 // [Buffer Data Port]
	STATUS       = 0x24 // [Present State]
	CONTROL0     = 0x28 // [Host Control 1 | Power Control | ...]
	CONTROL1     = 0x2c // [Clock Control | Timeout Control | Software Reset]
	INTERRUPT    = 0x30 // [Normal | Error Interrupt Status], write 1 to clear
	IRPT_MASK    = 0x34 // [Interrupt Status Enable]
	IRPT_EN      = 0x38 // [Interrupt Signal Enable]
	CONTROL2     = 0x3c
	CAPABILITIES = 0x40 // [Capabilities], not in the BCM2835 document
	SLOTISR_VER  = 0xfc // [Host Controller Version] in bits 23:16
)

// CMDTM fields.
const (
	TM_BLKCNT_EN  = 1 << 1
	TM_DAT_DIR    = 1 << 4 // 1: card to host
	CMD_RSPNS_136 = 1 << 16
	CMD_RSPNS_48  = 2 << 16
	CMD_RSPNS_48B = 3 << 16 // 48 bits with busy
	CMD_CRCCHK_EN = 1 << 19
	CMD_IXCHK_EN  = 1 << 20
	CMD_ISDATA    = 1 << 21
	cmdIndexShift = 24
)

// CAPABILITIES bits (SDHCI 3.00 2.2.26).
const (
	CAP_SDMA  = 1 << 22
	CAP_ADMA2 = 1 << 19
)

// STATUS bits.
const (
	CMD_INHIBIT = 1 << 0
	DAT_INHIBIT = 1 << 1
)

// CONTROL0: power control is its second byte [Power Control Register
// 2.2.11]: bit 8 SD bus power, bits 11:9 = 0b111 for 3.3 V.
const CONTROL0_POWER_3V3 = 0xf << 8

// CONTROL1 bits.
const (
	CLK_INTLEN  = 1 << 0 // internal clock enable
	CLK_STABLE  = 1 << 1
	CLK_EN      = 1 << 2    // SD clock to the card
	DATA_TOUNIT = 0xe << 16 // data timeout: TMCLK * 2^27, the longest
	SRST_HC     = 1 << 24
)

// INTERRUPT bits.
const (
	CMD_DONE  = 1 << 0
	DATA_DONE = 1 << 1
	WRITE_RDY = 1 << 4
	READ_RDY  = 1 << 5
	ERR       = 1 << 15
	ERR_MASK  = 0xffff0000 // every error status bit
	CTO_ERR   = 1 << 16    // command timeout: no card answered
)

// SD commands (Physical Layer Simplified Specification 4.7.4).
const (
	GO_IDLE_STATE      = 0
	ALL_SEND_CID       = 2
	SEND_RELATIVE_ADDR = 3
	SELECT_CARD        = 7
	SEND_IF_COND       = 8
	SEND_CSD           = 9
	SET_BLOCKLEN       = 16
	READ_SINGLE_BLOCK  = 17
	WRITE_SINGLE_BLOCK = 24
	APP_CMD            = 55
	SD_SEND_OP_COND    = 41 // ACMD41
)

// SectorSize is the block size the driver uses.
const SectorSize = 512
