/* SPDX-License-Identifier: MIT */
/*
 * The CLOB AIR's next-row reads (air.h main_next / aux_next): the union,
 * over the AIR variants (full and machinery, each STP mode), of the
 * columns whose next-row value some constraint of clob_air_body.h or
 * clob_eval_aux reads. Made by the probe, not by hand:
 * `ZK_CLOB_NEXT_PRINT=1 BUILD/tests/prover/test_clob_next` prints these
 * arrays, and the test (clob_air_next_rows) fails when the constraints
 * read a column not listed here or the list holds one they do not read.
 * A change to the constraints that moves a next-row read regenerates it.
 */
#include <stdint.h>

#include "clob_air.h"

const uint32_t zk_clob_air_main_next[CLOB_N_MAIN_NEXT] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
	10, 11, 12, 13, 14, 15, 481, 482, 483, 484,
	485, 486, 487, 489, 491, 494, 544, 569, 570, 571,
	582, 583, 584, 585, 586, 587, 588, 589, 590, 591,
	592, 593, 594, 595, 596, 597, 598, 599, 600, 601,
	604, 605, 606, 607, 608, 609, 610, 611, 612, 613,
	614, 615, 616, 617, 618, 619, 620, 621, 622, 659,
	673, 674, 675, 676, 677, 679, 680, 681, 689, 690,
	691, 692, 694, 695, 696, 697, 698, 699, 700, 701,
	702, 703, 704, 705, 706, 707, 708, 709, 710, 717,
	718, 719, 720, 721, 722, 723, 724, 725, 726, 727,
	737, 738, 739, 740, 742, 743, 745, 746, 747, 748,
	749, 750, 751, 752, 753, 754, 755, 756, 757, 758,
	759, 760, 761, 763, 764, 766, 767, 768, 769, 770,
	771, 773, 774, 775, 776, 777, 778, 779, 780, 781,
	782, 783, 785, 786, 790, 792, 794, 795, 796, 797,
	798, 799, 800, 801, 802, 803, 804, 808, 809, 810,
	811, 813, 814, 815, 816, 817, 818, 819, 821, 822,
	829, 830, 833, 834, 836, 837, 838, 840, 841, 842,
	851, 852,
};

const uint32_t zk_clob_air_aux_next[CLOB_N_AUX_NEXT] = {
	5,
};
