"""Hand-written SIE files for the tests, as CP437 bytes. The sums the tests expect are computed
by hand beside each file."""

SIE2 = """#FLAGGA 0
#PROGRAM "Handskrivet" 1.0
#FORMAT PC8
#GEN 20260115
#SIETYP 2
#FNAMN "Exempelstads kommun"
#ORGNR 212000-0000
#RAR 0 20250101 20251231
#RAR -1 20240101 20241231
#KONTO 3010 "Taxor och avgifter"
#KONTO 4010 "Löner"
#KONTO 5410 "Förbrukningsinventarier"
#KONTO 7810 "Avskrivningar"
#KONTO 8410 "Räntekostnader"
#KTYP 3010 I
#IB 0 1930 100.00
#UB 0 1930 200.00
#RES 0 3010 -1500.00
#PSALDO 0 202501 3010 {} -500.00
#PSALDO 0 202502 3010 {} -1000.00
#PSALDO 0 202501 4010 {} 2000.50
#PSALDO 0 202502 4010 {} 2100.25 3
#PSALDO 0 202412 4010 {} 999.00
#PSALDO -1 202412 4010 {} 1800.00
#PSALDO 0 202503 5410 {} 300
#PSALDO 0 202501 7810 {} 125.75
#PBUDGET 0 202501 3010 {} -600.00
#PBUDGET 0 202502 3010 {} -600.00
#PBUDGET 0 202501 4010 {} 2000.00
#PBUDGET 0 202502 4010 {} 2000.00
#PBUDGET 0 202501 8410 {} 50.00
"""
# utfall 2025 (the 202412 row labelled 0 and the -1 row are 2024):
#   3: -500 - 1000 = -1500.00; 4: 2000.50 + 2100.25 = 4100.75; 5: 300.00; 7: 125.75; 8: 0.00
# budget: 3: -1200.00; 4: 4000.00; 5: 0.00; 7: 0.00; 8: 50.00

SIE3 = r"""#FORMAT PC8
#SIETYP 3
#FNAMN "Förvaltning Öst \"Norr\""
#RAR 0 20250101 20251231
#DIM 1 "Ansvar"
#UNDERDIM 21 "Avdelning" 1
#DIM 6 "Projekt"
#OBJEKT 1 "100" "Socialförvaltningen"
#OBJEKT 1 "200" "Miljö- och byggförvaltningen"
#OBJEKT 6 "P1" "Äldreomsorgslyftet"
#OIB 0 1930 {1 "100"} 10.00
#PSALDO 0 202501 3010 {} -800.00
#PSALDO 0 202501 3010 {1 "100"} -300.00
#PSALDO 0 202501 3010 {1 "200"} -500.00
#PSALDO 0 202502 4010 {} 1500.00
#PSALDO 0 202502 4010 {1 "100"} 1000.00
#PSALDO 0 202502 4010 {1 "200"} 500.00
#PSALDO 0 202502 4010 {6 "P1"} 250.00
#PSALDO 0 202502 4010 {1 "100" 6 "P1"} 250.00
#PBUDGET 0 202501 3010 {} -900.00
#PBUDGET 0 202501 3010 {1 "100"} -400.00
#PBUDGET 0 202501 3010 {1 "200"} -500.00
#PBUDGET 0 202502 4010 {1 "100"} 1200.00
#PBUDGET 0 202502 4010 {} 1200.00
"""
# totals: utfall 3: -800.00, 4: 1500.00; budget 3: -900.00, 4: 1200.00
# 1/100: utfall 3 -300.00, 4 1000.00; budget 3 -400.00, 4 1200.00
# 1/200: utfall 3 -500.00, 4 500.00; budget 3 -500.00, 4 0.00
# 6/P1: utfall 4 250.00; budget 4 0.00 (the combination row counts for neither)

SIE4 = """#FORMAT PC8
#SIETYP 4
#FNAMN "Kommunen"
#RAR 0 20250101 20251231
#RAR -1 20240101 20241231
#DIM 1 "Kostnadsställe"
#OBJEKT 1 "10" "Skola"
#OBJEKT 1 "20" "Vård och omsorg"
#PBUDGET 0 202501 4010 {1 "10"} 1000.00
#PBUDGET 0 202501 4010 {} 1000.00
#VER A 1 20250115 "Löner januari" 20250120
{
   #TRANS 4010 {1 "10"} 700.00
   #TRANS 4010 {1 "20"} 300.00
   #TRANS 1930 {} -1000.00
}
#VER "A" "2" 20250210 "Taxa"
{
#TRANS 3010 {1 "10"} -250.50 20250211 "Avgift"
#RTRANS 3010 {1 "20"} -100.00
#TRANS 3010 {1 "20"} -100.00
#BTRANS 3010 {1 "10"} -999.00
#TRANS 1930 {} 350.50
}
#VER A 3 20241231 "Förra året"
{
#TRANS 4010 {1 "10"} 5000.00
#TRANS 1930 {} -5000.00
}
#VER A 4 20241231 "Bokförd i december, transaktionsdatum januari"
{
#TRANS 5410 {} 80.00 20250102 "" 1
#TRANS 1930 {} -80.00 20250102
}
"""
# utfall 2025 from #TRANS (not #BTRANS, #RTRANS only through its #TRANS; voucher 3 is 2024,
# voucher 4's rows are dated 2025-01-02):
#   1: -1000 + 350.50 - 80 = -729.50; 3: -250.50 - 100 = -350.50; 4: 700 + 300 = 1000.00;
#   5: 80.00. budget: 4: 1000.00, the rest 0.00.
# 1/10: utfall 3 -250.50, 4 700.00; budget 3 0.00, 4 1000.00
# 1/20: utfall 3 -100.00, 4 300.00; budget 0.00


def cp437(text: str) -> bytes:
    return text.encode("cp437")
