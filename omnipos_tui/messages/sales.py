"""Texts of selling: lines, quantities, discounts, paying, returns, receipts, parking,
open-sale snapshots and the manager approvals they ask for (``sale.*``, ``discount.*``,
``tender.*``, ``card.*``, ``return.*``, ``receipt.*``, ``park.*``, ``drawer.*``,
``snapshot.*``, ``display.*``, ``approval.*``, ``action.*``): code -> (bokmål, English).

A bokmål text that tells the cashier which key to press names it ``{key.<command>}``: the
till fills in the key of its live key map.

Why this module is over 400 lines: it is one table (code -> bokmål, English) for one area,
the sale, read by translators from top to bottom; the texts are already split by area
(``messages/*.py``), and cutting the sale's table in two would only make a translator look
for one screen's words in two files.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- ringing up -------------------------------------------------------------------
    "sale.not_a_quantity": ("Ugyldig antall: {quantity!r}.", "not a quantity: {quantity!r}"),
    "sale.quantity_not_positive": (
        "Antallet må være over 0 (fikk {quantity}).",
        "quantity must be more than 0, got {quantity}",
    ),
    "sale.quantity_too_large": (
        "Antallet {quantity} er mer enn {maximum}.",
        "quantity {quantity} is more than {maximum}",
    ),
    "sale.pieces_whole": (
        "Stykkvarer telles i hele tall (fikk {quantity}).",
        "pieces are counted in whole numbers, got {quantity}",
    ),
    "sale.weight_decimals": (
        "Vekt har høyst tre desimaler (gram) (fikk {quantity}).",
        "weights have at most three decimals (grams), got {quantity}",
    ),
    "sale.no_line": ("Salget har ingen linje {line_no}.", "no line {line_no} in this sale"),
    "sale.inactive_product": (
        "{name} ({sku}) er ikke i salg (inaktiv).",
        "{name} ({sku}) is not for sale (inactive)",
    ),
    "sale.open_price_not_positive": (
        "Skriv en pris over 0,00 før {key.open_ring} (fikk {price}).",
        "an open sale needs a price above 0,00, got {price}",
    ),
    "sale.line_already_voided": (
        "Linje {line_no} er allerede annullert.",
        "line {line_no} is already voided",
    ),
    "sale.override_no_reason": (
        "Skriv en grunn for prisendringen.",
        "a price override needs a reason",
    ),
    "sale.negative_price": (
        "En pris kan ikke være negativ (fikk {price}).",
        "a price cannot be negative, got {price}",
    ),
    "sale.line_voided": ("Linje {line_no} er annullert.", "line {line_no} is voided"),
    "sale.training_mixed": (
        "Opplærings- og ekte kvitteringer kan ikke blandes.",
        "training and real receipts cannot be mixed",
    ),
    "sale.line_is_correction": (
        "Linje {line_no} er en korreksjon og kan ikke endres.",
        "line {line_no} is a correction and cannot be changed",
    ),
    "sale.line_not_item": (
        "Linje {line_no} er ikke en varelinje.",
        "line {line_no} is a {kind} line, not an item",
    ),
    "sale.no_code": (
        "Skann eller skriv en strekkode, PLU eller varenummer.",
        "no barcode, PLU or SKU given",
    ),
    "sale.weight_in_code": (
        "{barcode} har vekten i koden: skann uten antall ({key.escape} tømmer).",
        "{barcode} carries the weight; ring it without a quantity",
    ),
    "sale.weight_first": (
        "{name} selges på vekt: skriv vekten først, f.eks. 0,352 * {barcode}",
        "{name} is sold by weight: type the weight first, e.g. 0.352 * {barcode}",
    ),
    "sale.not_by_weight": (
        "{name} selges ikke på vekt ({barcode}).",
        "{name} is not sold by weight ({barcode})",
    ),
    "sale.unknown_group": (
        "Ukjent varegruppe {group}. Trykk {key.open_ring} for å velge.",
        "no article group {group!r}",
    ),
    "sale.unknown_cashier": (
        "Ukjent ansatt {number}. Logg inn på nytt.",
        "no employee with number {number}",
    ),
    "sale.unknown_customer": (
        "Ukjent kunde {number}. Søk i kundelisten.",
        "no customer with number {number}",
    ),
    # --- the sale as a whole ----------------------------------------------------------
    "sale.no_open_sale": ("Fant ikke åpent salg {sale_id}.", "no open sale {sale_id}"),
    "sale.completed": ("Salg {sale_id} er fullført.", "sale {sale_id} is completed"),
    "sale.parked": (
        "Salg {sale_id} er parkert: hent det først ({key.recall}).",
        "sale {sale_id} is parked; resume it first",
    ),
    "sale.finish_or_park": (
        "Fullfør eller parker ({key.park}) salg {sale_id} først.",
        "finish or park sale {sale_id} first",
    ),
    "sale.nothing_rung_up": ("Ingenting er slått inn.", "nothing was rung up"),
    "sale.void_has_payments": (
        "Salget har betalinger: tilbakebetal dem før salget annulleres.",
        "payments were taken; refund them before voiding the sale",
    ),
    "sale.not_paid": (
        "Salget er ikke betalt: {remaining} gjenstår. Trykk {key.pay} for å betale.",
        "the sale is not paid: {remaining} remains",
    ),
    "sale.already_paid": ("Salget er allerede betalt.", "the sale is already paid"),
    "sale.total_below_paid": (
        "{paid} er allerede betalt og totalen ville blitt {total}; tilbakebetal betalingen i "
        "stedet.",
        "{paid} is already paid and the total would become {total}; refund the payment instead",
    ),
    "sale.on_account": (
        "Salget står på kundens konto: fjern kredittbetalingen først.",
        "the sale is on the customer's account",
    ),
    "sale.voucher_number": (
        "Skriv gavekortets nummer.",
        "a voucher payment needs the voucher's number",
    ),
    "sale.credit_needs_customer": (
        "Kreditt krever en kunde: velg kunde først.",
        "a credit sale needs a customer",
    ),
    "sale.credit_takes_all": (
        "Kreditt tar hele restbeløpet ({remaining}); slett beløpet først.",
        "a credit sale puts all that remains ({remaining}) on the account",
    ),
    "sale.card_through_terminal": (
        "Kortbetaling må gå via terminalen ({key.card}).",
        "card payments go through begin_card_payment and finish_card_payment",
    ),
    # --- a stored sale that does not add up (corrupt data) ----------------------------
    "sale.naive_time": (
        "tider i et salg må ha tidssone (UTC)",
        "times in a sale must be timezone-aware (UTC)",
    ),
    "sale.line_misnumbered": (
        "linje {index} har nummer {line_no}",
        "line {index} is numbered {line_no}",
    ),
    "sale.corrected_past_zero": (
        "linje {line_no} er korrigert under null",
        "line {line_no} is corrected past zero",
    ),
    "sale.corrects_nothing": (
        "linje {index} korrigerer ingen tidligere linje",
        "line {index} corrects no earlier line",
    ),
    "sale.corrects_correction": (
        "linje {index} korrigerer en korreksjon",
        "line {index} corrects a correction",
    ),
    "sale.line_wrong_sign": (
        "linje {index} er {kind} med antall {quantity}",
        "line {index} is a {kind} with quantity {quantity}",
    ),
    "sale.rounding_too_large": (
        "avrunding {rounding} er mer enn 0,50",
        "rounding {rounding} is more than 0,50",
    ),
    "sale.rounding_unsettled": (
        "avrunding på et salg som ikke er gjort opp",
        "rounding on a sale that is not settled",
    ),
    "sale.account_without_customer": (
        "betaling på konto uten kunde",
        "an account payment without a customer",
    ),
    # --- discounts --------------------------------------------------------------------
    "discount.percent_only": (
        "Prosentrabatt tar bare en prosentsats.",
        "a percent discount takes a percentage only",
    ),
    "discount.bad_percent": (
        "Rabatt i prosent må være over 0 og høyst 100 (fikk {percent}).",
        "discount percent must be above 0 and at most 100, got {percent}",
    ),
    "discount.amount_only": (
        "Denne rabatten tar bare et beløp.",
        "a {mode} discount takes an amount only",
    ),
    "discount.not_positive": (
        "Rabatten må være over 0,00 (fikk {amount}).",
        "a discount must be more than 0,00, got {amount}",
    ),
    "discount.negative_new_price": (
        "Ny pris kan ikke være negativ (fikk {amount}).",
        "a new price cannot be negative, got {amount}",
    ),
    "discount.more_than_line": (
        "Rabatten {amount} er mer enn linjens {gross}.",
        "discount {amount} is more than the line's {gross}",
    ),
    "discount.new_price_not_lower": (
        "Ny pris {amount} er ikke under {unit_price}; en høyere pris er en prisendring.",
        "new price {amount} is not below {unit_price}; a higher price is a price override",
    ),
    "discount.no_items": (
        "Ingen varer å gi rabatt på: slå inn en vare først.",
        "there are no items to discount",
    ),
    "discount.more_than_items": (
        "Rabatten {amount} er mer enn varenes {subtotal}.",
        "discount {amount} is more than the items' {subtotal}",
    ),
    "discount.new_total_not_lower": (
        "Ny total {amount} er ikke under {subtotal}.",
        "new total {amount} is not below {subtotal}",
    ),
    # --- paying -----------------------------------------------------------------------
    "tender.nothing_left": ("Ingenting igjen å betale.", "nothing left to pay"),
    "tender.cash_not_positive": (
        "Kontantbeløpet må være positivt (fikk {cash}).",
        "cash must be a positive amount, got {cash}",
    ),
    "tender.cash_whole_kroner": (
        "Kontanter telles i hele kroner (fikk {cash}).",
        "cash is counted in whole kroner, got {cash}",
    ),
    "tender.pay_out_too_much": (
        "Kan ikke betale ut {cash}: bare {owed} skal ut i kontanter.",
        "cannot pay out {cash}: only {owed} is owed in cash",
    ),
    "tender.cash_not_here": (
        "Kontanter tas med {key.cash}.",
        "cash is taken with take_cash (it rounds and gives change)",
    ),
    "tender.needs_amount": (
        "{tender} trenger et beløp: skriv beløpet først.",
        "a {tender} payment needs an amount",
    ),
    "tender.sign_payment": (
        "{amount} har feil fortegn: {remaining} gjenstår, så dette er en betaling.",
        "{amount} has the wrong sign: {remaining} remains, so this is a payment",
    ),
    "tender.sign_refund": (
        "{amount} har feil fortegn: {remaining} gjenstår, så dette er en tilbakebetaling "
        "(negativt beløp).",
        "{amount} has the wrong sign: {remaining} remains, so this is a refund (negative amount)",
    ),
    "tender.tip_negative": (
        "Driks kan ikke være negativ (fikk {tip}).",
        "a tip cannot be negative, got {tip}",
    ),
    "tender.tip_card_only": (
        "Driks legges bare til en kortbetaling på terminalen, ikke {tender}.",
        "a tip is only added to a card payment on the terminal, not {tender}",
    ),
    "tender.more_than_remaining": (
        "{tender} {amount} er mer enn restbeløpet {remaining}.",
        "{tender} {amount} is more than the {remaining} remaining",
    ),
    "card.unsettled": (
        "Kortbetaling {reference} ({amount}) er {status}: avklar den først.",
        "card payment {reference} ({amount}) is {status}; finish or resolve it first",
    ),
    "card.not_positive": (
        "Kortbeløpet må være over 0 (fikk {amount}).",
        "a card payment needs an amount above 0, got {amount}",
    ),
    "card.unknown": (
        "Fant ingen kortbetaling med referanse {reference}.",
        "no card payment with reference {reference}",
    ),
    "card.settled_already": (
        "Kortbetaling {reference} er allerede avklart ({status}).",
        "card payment {reference} is {status} already",
    ),
    "card.bad_result": ("Ukjent svar fra terminalen.", "not a terminal result: {result!r}"),
    # --- returns ----------------------------------------------------------------------
    "return.original_voided": (
        "Kvittering {receipt_id} er annullert.",
        "receipt {receipt_id} was voided",
    ),
    "return.no_such_line": (
        "Kvittering {receipt_id} har ingen varelinje {line_no}.",
        "receipt {receipt_id} has no item line {line_no}",
    ),
    "return.too_many": (
        "Bare {left} av linje {original_line} på kvittering {receipt_id} kan returneres.",
        "only {left} of line {original_line} on receipt {receipt_id} can still be returned",
    ),
    "return.no_reason": (
        "Skriv en grunn for retur uten kvittering.",
        "a return without receipt needs a reason",
    ),
    "return.vat_changed": (
        "MVA-kode {vat_code} er {rate_percent} %, kvitteringen sier {percent} %",
        "VAT code {vat_code} is {rate_percent} %, the receipt says {percent} %",
    ),
    "return.original_missing": (
        "Originalsalget {trans_id} for returen mangler.",
        "the original transaction {trans_id} of a return is missing",
    ),
    # --- receipts ---------------------------------------------------------------------
    "receipt.copy_taken": (
        "Kopi av kvittering {receipt} er allerede skrevet ut (bare én er tillatt).",
        "a copy of receipt {receipt} was printed already (only one)",
    ),
    "receipt.copy_taken_already": (
        "Kopi av kvittering {receipt} er allerede skrevet ut (bare én er tillatt).",
        "a copy of receipt {receipt} was printed already",
    ),
    "receipt.not_credit": ("{trans_id} er ikke et kredittsalg", "{trans_id} is not a credit sale"),
    "receipt.bad_width": (
        "Kvitteringsbredden må være 32, 42 eller 48 tegn, fikk {columns}",
        "receipt width must be 32, 42 or 48 columns, got {columns}",
    ),
    # --- parking ----------------------------------------------------------------------
    "park.nothing": (
        "Ingenting å parkere: slå inn en vare først.",
        "there is nothing to park",
    ),
    "park.has_payments": (
        "Salget har betalinger: fullfør det eller tilbakebetal først.",
        "payments were taken; finish the sale or refund them first",
    ),
    "park.open_elsewhere": (
        "Salg {sale_id} er åpent på kasse {held_by}.",
        "sale {sale_id} is open at register {held_by}",
    ),
    "park.training_sale": (
        "Salg {sale_id} er et opplæringssalg: bytt opplæringsmodus (meny {key.menu}).",
        "sale {sale_id} is a training sale; switch training mode",
    ),
    "park.real_sale": (
        "Salg {sale_id} er et ekte salg: bytt opplæringsmodus (meny {key.menu}).",
        "sale {sale_id} is a real sale; switch training mode",
    ),
    "park.finish_first": (
        "Parker ({key.park}) eller fullfør salget på skjermen først.",
        "park or finish the sale on the screen first",
    ),
    # --- the drawer -------------------------------------------------------------------
    "drawer.no_reason": (
        "Skriv en grunn for å åpne skuffen uten salg.",
        "a drawer opening without a sale needs a reason",
    ),
    # --- the customer display ---------------------------------------------------------
    "display.bad_language": (
        "Kundeskjermens språk må være ett av {known}, ikke {language!r}",
        "display language must be one of {known}, not {language!r}",
    ),
    # --- an open sale's snapshot that does not read back ------------------------------
    "snapshot.bad_at": (
        "lagret åpent salg: {path}: {problem}",
        "open sale snapshot: {path}: {problem}",
    ),
    "snapshot.bad": ("lagret åpent salg: {problem}", "open sale snapshot: {problem}"),
    "snapshot.not_object": ("ventet et objekt, fikk {got}", "expected an object, got {got}"),
    "snapshot.missing": ("mangler", "missing"),
    "snapshot.wrong_type": ("ventet {expected}, fikk {got}", "expected {expected}, got {got}"),
    "snapshot.a_text": ("tekst", "text"),
    "snapshot.a_whole_number": ("et helt tall", "a whole number"),
    "snapshot.a_flag": ("sann/usann", "true/false"),
    "snapshot.an_object": ("et objekt", "an object"),
    "snapshot.a_list": ("en liste", "a list"),
    "snapshot.not_a_number": ("ikke et tall: {text!r}", "not a number: {text!r}"),
    "snapshot.not_finite": ("ikke et endelig tall: {text!r}", "not a finite number: {text!r}"),
    "snapshot.not_a_time": ("ikke ISO-tid: {text!r}", "not an ISO time: {text!r}"),
    "snapshot.no_offset": ("tid uten tidssone: {text!r}", "time without offset: {text!r}"),
    "snapshot.unknown_value": ("ukjent verdi {text!r}", "unknown value {text!r}"),
    "snapshot.not_built": ("{reason}", "{reason}"),
    "snapshot.unknown_version": (
        "{version} er ukjent (denne versjonen leser {known})",
        "{version} is unknown (this version reads {known})",
    ),
    # --- manager approvals ------------------------------------------------------------
    "approval.required": ("Krever godkjenning: {action}", "requires approval: {action}"),
    "approval.not_a_manager": (
        "Ansatt {approved_by} kan ikke godkjenne: {action} (krever leder).",
        "employee {approved_by} cannot approve: {action} (manager needed)",
    ),
    "action.return_without_receipt": (
        "Retur uten kvittering: {product}",
        "return of {product} without receipt",
    ),
    "action.void_sale": ("Annullere salg {sale}", "void sale {sale}"),
    "action.no_sale": (
        "Åpne skuff uten salg ({reason})",
        "open the drawer without a sale ({reason})",
    ),
    "action.discount_line": (
        "Rabatt {percent} % på linje {line_no}",
        "discount of {percent} % on line {line_no}",
    ),
    "action.discount_sale": (
        "Rabatt {percent} % på salget",
        "discount of {percent} % on the sale",
    ),
    "action.training_on": ("Treningsmodus på", "training mode on"),
    "action.training_off": ("Treningsmodus av", "training mode off"),
    "action.card_unpaid": (
        "Kortbetaling {amount} ikke betalt",
        "card payment {amount} not paid",
    ),
    "action.price_override": (
        "Ny pris {price} på linje {line_no}",
        "new price {price} on line {line_no}",
    ),
}
