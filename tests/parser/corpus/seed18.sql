;;;
;ÿþ SELECT